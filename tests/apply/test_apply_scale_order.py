"""The order of apply's writes: fallback targets first, deletes last; a create whose
answer was lost is read back, never sent twice."""

from __future__ import annotations

from drift_support import Cli
from fake_retell import FakeRetell
from scale_support import update, writer_for

from retell_lint.apply.actions import Action
from retell_lint.apply.run import execute
from retell_lint.apply.scheduler import Controls, phases


def create(number: str, **body: object) -> Action:
    return Action("create", number, None, None, {"phone_number": number, **body}, [])


def delete(number: str) -> Action:
    return Action("delete", number, None, None, {}, [])


def test_fallback_targets_first_and_deletes_last() -> None:
    target = create("+14157770100", number_provider="twilio")
    pointing = update("+14157770001", fallback_number="+14157770100")
    unrelated = update("+14157770002", nickname="X")
    unpointing = update("+14157770003", fallback_number=None)
    gone = delete("+14157770200")
    order = phases([gone, pointing, unrelated, target, unpointing])
    assert order == [[target], [pointing, unrelated, unpointing], [gone]]


def test_no_fallback_no_deletes_is_one_phase() -> None:
    actions = [update("+14157770001", nickname="A"), update("+14157770002", nickname="B")]
    assert phases(actions) == [actions]


def test_a_new_fallback_target_exists_before_it_is_named(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157770001", nickname="Front")
    fake.add_number("+14157770200", nickname="Old")
    fake.add_number("+14157770300", fallback_number="+14157770200")
    cli.write(".retell-lint.yaml", "apply:\n  max_percent: 100\n")
    cli.write(
        "retell/numbers.yaml",
        """
        phone_numbers:
          - phone_number: "+14157770001"
            nickname: Front
            fallback_number: "+14157770100"
          - phone_number: "+14157770100"
            phone_number_type: retell-twilio
            nickname: Backup
          - phone_number: "+14157770200"
            state: absent
          - phone_number: "+14157770300"
            fallback_number: null
        """,
    )
    result = cli("apply", "--yes", "--allow-create", "--allow-delete")
    assert result.code == 0, result.err + result.out
    paths = [request.path for request in fake.writes()]
    created = paths.index("/create-phone-number")
    assert created < paths.index("/update-phone-number/+14157770001")
    # The number stops being named as a fallback before it is released.
    assert paths.index("/update-phone-number/+14157770300") < paths.index(
        "/delete-phone-number/+14157770200"
    )
    assert paths[-1] == "/delete-phone-number/+14157770200"
    assert cli("drift").code == 0


def test_a_create_whose_answer_is_lost_is_read_back_not_repeated(fake: FakeRetell) -> None:
    # The stand-in stores the number, then drops the connection without answering.
    fake.drop_after_store_next(path_prefix="/create-phone-number")
    writer = writer_for(fake)
    try:
        action = create("+14157770100", number_provider="twilio")
        (outcome,) = execute(writer, [action], [], {}, controls=Controls())
    finally:
        writer.close()
    assert outcome.status == "applied", outcome.detail
    assert "confirmed by reading it back" in (outcome.detail or "")
    assert len(fake.requests_to("/create-phone-number")) == 1
    assert fake.requests_to("/get-phone-number/+14157770100")
    assert outcome.live is not None and outcome.live["phone_number"] == "+14157770100"


def test_a_lost_create_absent_on_read_back_fails_with_the_next_step(fake: FakeRetell) -> None:
    fake.drop_next(path_prefix="/create-phone-number")  # dropped before storing
    writer = writer_for(fake)
    try:
        action = create("+14157770100", number_provider="twilio")
        (outcome,) = execute(writer, [action], [], {}, controls=Controls())
    finally:
        writer.close()
    assert outcome.status == "failed"
    assert "is not in the account, so it was not created: apply again to create it" in (
        outcome.detail or ""
    )
    assert len(fake.requests_to("/create-phone-number")) == 1
    assert "+14157770100" not in fake.numbers


def test_a_lost_create_that_cannot_be_read_back_is_reported_as_unknown(
    fake: FakeRetell,
) -> None:
    fake.drop_after_store_next(path_prefix="/create-phone-number")
    fake.drop_next(count=10, path_prefix="/get-phone-number/")
    writer = writer_for(fake)
    try:
        action = create("+14157770100", number_provider="twilio")
        (outcome,) = execute(writer, [action], [], {}, controls=Controls())
    finally:
        writer.close()
    assert outcome.status == "uncertain"
    assert "check the account" in (outcome.detail or "")
    assert len(fake.requests_to("/create-phone-number")) == 1


def test_a_lost_create_follows_with_its_follow_up(fake: FakeRetell) -> None:
    fake.drop_after_store_next(path_prefix="/create-phone-number")
    writer = writer_for(fake)
    try:
        action = create("+14157770100", number_provider="twilio")
        action.follow_up = {"nickname": "After"}
        (outcome,) = execute(writer, [action], [], {}, controls=Controls())
    finally:
        writer.close()
    assert outcome.status == "applied"
    assert fake.numbers["+14157770100"]["nickname"] == "After"


def test_a_lost_delete_is_read_back(fake: FakeRetell) -> None:
    fake.add_number("+14157770200")
    fake.add_number("+14157770201")
    fake.drop_after_store_next(path_prefix="/delete-phone-number/+14157770200")
    fake.drop_next(path_prefix="/delete-phone-number/+14157770201")
    writer = writer_for(fake)
    try:
        done, kept = execute(
            writer,
            [delete("+14157770200"), delete("+14157770201")],
            [],
            {},
            controls=Controls(concurrency=1),
        )
    finally:
        writer.close()
    assert done.status == "applied" and "confirmed by reading it back" in (done.detail or "")
    assert kept.status == "failed"
    assert "is still in the account, so it was not deleted: apply again to delete it" in (
        kept.detail or ""
    )
    assert len(fake.requests_to("/delete-phone-number/+14157770200")) == 1
    assert "+14157770201" in fake.numbers
