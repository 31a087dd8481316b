"""Generate realistic, clean Retell phone-number configs for benchmarking.

Each generated file describes one Retell phone number using the Retell API field
names. Every file is meant to lint clean: valid US E.164 numbers, matching area
codes, agent weights that sum to exactly 1, own country always allowed, https
webhooks on public hostnames, fallback numbers that are never configured numbers
themselves, SIP trunk settings only on ``custom`` numbers, TLS and env-referenced
passwords only.

Output is deterministic for a given seed, and stable under growth: the first
``k`` files of ``generate_configs(n, seed)`` are identical to
``generate_configs(k, seed)`` for every ``k <= n``.

Usage::

    python benchmarks/generate.py N OUTDIR [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import phonenumbers

__all__ = ["generate_configs", "write_configs"]


@dataclass(frozen=True)
class Office:
    city: str
    slug: str
    area_codes: tuple[int, ...]


@dataclass(frozen=True)
class Team:
    name: str
    slug: str


OFFICES: tuple[Office, ...] = (
    Office("Seattle", "seattle", (206, 425)),
    Office("New York", "new-york", (212, 646, 332)),
    Office("Los Angeles", "los-angeles", (213, 310, 424)),
    Office("Miami", "miami", (305, 786)),
    Office("Chicago", "chicago", (312, 773, 872)),
    Office("San Francisco", "san-francisco", (415, 628)),
    Office("Portland", "portland", (503, 971)),
    Office("Austin", "austin", (512, 737)),
    Office("Boston", "boston", (617, 857)),
    Office("Las Vegas", "las-vegas", (702, 725)),
    Office("Denver", "denver", (720, 303)),
    Office("Burbank", "burbank", (818, 747)),
    Office("Atlanta", "atlanta", (404, 470, 678)),
    Office("Dallas", "dallas", (214, 469, 972)),
    Office("Houston", "houston", (713, 832, 281)),
    Office("Phoenix", "phoenix", (602, 480)),
)

TEAMS: tuple[Team, ...] = (
    Team("Sales", "sales"),
    Team("Support", "support"),
    Team("Billing", "billing"),
    Team("Onboarding", "onboarding"),
    Team("Collections", "collections"),
    Team("After-hours", "after-hours"),
)

# Weight splits written verbatim. Each one sums to exactly 1 both as Decimal and
# as a left-to-right float sum (checked at import time by _check_splits).
SPLITS: tuple[tuple[str, ...], ...] = (
    ("1.0",),
    ("0.5", "0.5"),
    ("0.7", "0.3"),
    ("0.3", "0.7"),
    ("0.6", "0.4"),
    ("0.8", "0.2"),
    ("0.1", "0.2", "0.7"),
    ("0.25", "0.25", "0.25", "0.25"),
)
SPLIT_WEIGHTS: tuple[int, ...] = (50, 12, 12, 5, 5, 5, 6, 5)

# ISO 3166-1 alpha-2 codes besides US. "NO" (Norway) is deliberately absent:
# it is a YAML 1.1 boolean when written as a plain scalar.
EXTRA_COUNTRIES: tuple[str, ...] = (
    "CA",
    "MX",
    "GB",
    "PR",
    "IE",
    "AU",
    "DE",
    "FR",
    "ES",
    "NL",
    "IN",
    "PH",
    "JP",
    "BR",
)
OUTBOUND_EXTRA_COUNTRIES: tuple[str, ...] = ("CA", "MX", "PR", "GB")

WEBHOOK_HOSTS: tuple[str, ...] = (
    "hooks.example.com",
    "api.example.com",
    "webhooks.example.net",
    "events.example.org",
)
VERSION_TAGS: tuple[str, ...] = ("prod", "staging", "latest_published")
NUMBER_TYPES: tuple[str, ...] = ("retell-twilio", "retell-telnyx", "custom")
NUMBER_TYPE_WEIGHTS: tuple[int, ...] = (55, 30, 15)

AGENTS_PER_TEAM = 12
SMS_AGENTS_PER_TEAM = 4
MAX_DRAW_ATTEMPTS = 10_000


def _check_splits() -> None:
    for split in SPLITS:
        float_total = 0.0
        for weight in split:
            float_total += float(weight)
        if float_total != 1.0 or sum(Decimal(w) for w in split) != 1:
            raise RuntimeError(f"weight split {split} does not sum to exactly 1")
        if len(split) > AGENTS_PER_TEAM:
            raise RuntimeError(f"weight split {split} needs more agents than a team has")


_check_splits()


def _is_valid_us_number(e164: str) -> bool:
    parsed = phonenumbers.parse(e164)
    return bool(
        phonenumbers.is_valid_number(parsed) and phonenumbers.region_code_for_number(parsed) == "US"
    )


def _draw_number(rng: random.Random, area_codes: Sequence[int], used: set[str]) -> str:
    """Return a new valid US number in one of ``area_codes`` and record it in ``used``."""
    for _ in range(MAX_DRAW_ATTEMPTS):
        area_code = rng.choice(area_codes)
        exchange = rng.randint(200, 999)
        line = rng.randint(0, 9999)
        # Skip N11 service codes and the 555 exchange (partly fictional).
        if exchange % 100 == 11 or exchange == 555:
            continue
        e164 = f"+1{area_code}{exchange}{line:04d}"
        if e164 in used or not _is_valid_us_number(e164):
            continue
        used.add(e164)
        return e164
    raise RuntimeError(f"could not draw a valid unused number for area codes {area_codes}")


def _agent_id(rng: random.Random, seen: set[str]) -> str:
    while True:
        agent_id = f"agent_{rng.getrandbits(104):026x}"
        if agent_id not in seen:
            seen.add(agent_id)
            return agent_id


def _agent_pools(rng: random.Random, size: int) -> dict[str, tuple[str, ...]]:
    seen: set[str] = set()
    return {team.slug: tuple(_agent_id(rng, seen) for _ in range(size)) for team in TEAMS}


def _version(rng: random.Random) -> str:
    # Always pinned: an unpinned agent follows every edit of the agent live.
    if rng.random() < 0.6:
        return str(rng.randint(0, 15))
    return rng.choice(VERSION_TAGS)


def _agent_block(key: str, rng: random.Random, pool: Sequence[str]) -> list[str]:
    """Render a weighted agent list; (agent_id, agent_version) pairs are unique, all pinned."""
    split = rng.choices(SPLITS, weights=SPLIT_WEIGHTS)[0]
    entries: list[tuple[str, str]]
    if len(split) == 2 and rng.random() < 0.1:
        # Version A/B test: one agent, two distinct pinned versions.
        agent_id = rng.choice(pool)
        first = rng.randint(0, 14)
        entries = [(agent_id, str(first)), (agent_id, str(first + 1))]
    else:
        agents = rng.sample(pool, len(split))
        entries = [(agent_id, _version(rng)) for agent_id in agents]
    lines = [f"{key}:"]
    for (agent_id, version), weight in zip(entries, split, strict=True):
        lines.append(f"  - agent_id: {agent_id}")
        lines.append(f"    weight: {weight}")
        lines.append(f"    agent_version: {version}")
    return lines


def _country_list(rng: random.Random, extras: Sequence[str], max_extra: int) -> str:
    countries = ["US", *rng.sample(extras, rng.randint(0, max_extra))]
    return "[" + ", ".join(countries) + "]"


def _webhook(rng: random.Random, team: Team, kind: str) -> str:
    return f"https://{rng.choice(WEBHOOK_HOSTS)}/retell/{team.slug}/{kind}"


def _render(
    index: int,
    rng: random.Random,
    used: set[str],
    agents: dict[str, tuple[str, ...]],
    sms_agents: dict[str, tuple[str, ...]],
) -> tuple[str, str]:
    team = rng.choice(TEAMS)
    office = rng.choice(OFFICES)
    number = _draw_number(rng, office.area_codes, used)
    number_type = rng.choices(NUMBER_TYPES, weights=NUMBER_TYPE_WEIGHTS)[0]
    nickname = f"{team.name} {office.city} {index:05d}"
    pool = agents[team.slug]

    lines = [
        f"# {team.name} line, {office.city} office",
        f'phone_number: "{number}"',
        f"phone_number_type: {number_type}",
        f"nickname: {nickname}",
    ]
    if number_type != "custom" and rng.random() < 0.5:
        lines.append(f"area_code: {number[2:5]}")

    lines += _agent_block("inbound_agents", rng, pool)
    has_outbound = rng.random() < 0.55
    if has_outbound:
        lines += _agent_block("outbound_agents", rng, pool)

    has_sms = number_type == "retell-twilio" and rng.random() < 0.35
    if has_sms:
        sms_pool = sms_agents[team.slug]
        lines += _agent_block("inbound_sms_agents", rng, sms_pool)
        if rng.random() < 0.5:
            lines += _agent_block("outbound_sms_agents", rng, sms_pool)

    if rng.random() < 0.7:
        countries = _country_list(rng, EXTRA_COUNTRIES, 3)
        lines.append(f"allowed_inbound_country_list: {countries}")
    if has_outbound and rng.random() < 0.7:
        countries = _country_list(rng, OUTBOUND_EXTRA_COUNTRIES, 2)
        lines.append(f"allowed_outbound_country_list: {countries}")
    if rng.random() < 0.6:
        lines.append(f"inbound_webhook_url: {_webhook(rng, team, 'inbound')}")
    if has_sms and rng.random() < 0.8:
        lines.append(f"inbound_sms_webhook_url: {_webhook(rng, team, 'sms')}")
    if rng.random() < 0.4:
        # Drawn from the same `used` set, so it is never any file's phone_number.
        fallback = _draw_number(rng, office.area_codes, used)
        lines.append(f'fallback_number: "{fallback}"')

    if number_type == "custom":
        if rng.random() < 0.6:
            termination_uri = f"{team.slug}-{office.slug}.pstn.twilio.com"
        else:
            termination_uri = "sip.telnyx.com"
        env_suffix = office.slug.upper().replace("-", "_")
        lines += [
            "sip_outbound_trunk_config:",
            f"  termination_uri: {termination_uri}",
            f"  auth_username: trunk-{office.slug}",
            f"  auth_password: ${{SIP_TRUNK_PASSWORD_{env_suffix}}}",
            "  transport: TLS",
        ]

    file_stem = f"{team.slug}-{office.slug}-{index:05d}"
    rel_path = f"retell/{team.slug}/{office.slug}/{file_stem}.yaml"
    return rel_path, "\n".join(lines) + "\n"


def generate_configs(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """Yield ``(relative_file_name, yaml_text)`` for ``n`` clean phone-number configs.

    Phone numbers, fallback numbers, nicknames and file names are unique across
    the whole run; fallback numbers never coincide with any generated
    ``phone_number``.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = random.Random(seed)
    agents = _agent_pools(rng, AGENTS_PER_TEAM)
    sms_agents = _agent_pools(rng, SMS_AGENTS_PER_TEAM)
    used: set[str] = set()
    for index in range(1, n + 1):
        yield _render(index, rng, used, agents, sms_agents)


def write_configs(n: int, outdir: Path | str, seed: int = 0) -> list[Path]:
    """Write ``n`` generated configs below ``outdir`` and return the written paths."""
    root = Path(outdir)
    written: list[Path] = []
    made_dirs: set[Path] = set()
    for rel_path, text in generate_configs(n, seed):
        path = root / rel_path
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate clean Retell phone-number YAML configs for benchmarks.",
    )
    parser.add_argument("n", type=int, help="number of config files to generate")
    parser.add_argument("outdir", type=Path, help="directory to write the files into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")

    start = time.perf_counter()
    paths = write_configs(args.n, args.outdir, seed=args.seed)
    elapsed = time.perf_counter() - start
    print(f"wrote {len(paths)} files to {args.outdir} in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
