"""Small hand-made GH Archive cases whose results the tests work out by hand.

`write_small_case`: two months of three repositories with every quirk the events source must
handle (the expected activity is computed in tests/unit/test_events_activity.py):

acme/rocket (id 100, renamed rocketorg/rocket in February)
  2023-01  alice opens issue #1; alice comments on it twice (one comment arrives twice, as GH
           Archive sometimes repeats an event); bob comments once; bob opens PR #2; alice reviews
           it (a review counts for active developers, not for activity), leaves one review comment
           and merges it (the merge counts for bob, its author); dependabot[bot] opens PR #3, alice
           closes it unmerged; dave opens PR #5; bob pushes; carol stars; a SponsorshipEvent.
  2023-02  (as rocketorg/rocket) Carol opens issue #4 (her login now capitalised); bob comments
           on it; bob merges dave's PR #5 after dave deleted his account (the author is `ghost`).
acme/engine (id 200)
  2023-02  alice opens PR #7, bob leaves a review comment and merges it.
other/lib (id 300)
  2023-01  only a push and a fork: no activity.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.support.gharchive import GHOST, Archive, Repo, User

ALICE = User(1, "alice")
BOB = User(2, "bob")
CAROL = User(3, "carol")
CAROL_CAPITALISED = User(3, "Carol")
DAVE = User(4, "dave")
DEPENDABOT = User(49699333, "dependabot[bot]")

ROCKET = Repo(100, "acme/rocket")
ROCKET_RENAMED = Repo(100, "rocketorg/rocket")
ENGINE = Repo(200, "acme/engine")
LIB = Repo(300, "other/lib")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2023, month, day, hour, minute, tzinfo=UTC)


def small_case() -> Archive:
    archive = Archive()
    # --- 2023-01, acme/rocket
    archive.issue_opened(at(1, 3, 9), ROCKET, ALICE, 1, 1001)
    archive.issue_comment(at(1, 3, 10), ROCKET, ALICE, 1, 1001, 5001, ALICE)
    repeated = archive.issue_comment(at(1, 3, 10, 30), ROCKET, ALICE, 1, 1001, 5002, ALICE)
    archive.events.append((at(1, 3, 10, 31), repeated))  # the same event twice
    archive.issue_comment(at(1, 4, 8), ROCKET, BOB, 1, 1001, 5003, ALICE)
    archive.pull_opened(at(1, 5, 12), ROCKET, BOB, 2, 2002)
    archive.review(at(1, 6, 9), ROCKET, ALICE, 2, 2002, BOB, 7001)
    archive.review_comment(at(1, 6, 9, 5), ROCKET, ALICE, 2, 2002, BOB, 6001)
    archive.pull_closed(at(1, 7, 15), ROCKET, ALICE, 2, 2002, BOB, merged=True)
    archive.pull_opened(at(1, 8, 2), ROCKET, DEPENDABOT, 3, 2003)
    archive.pull_closed(at(1, 9, 11), ROCKET, ALICE, 3, 2003, DEPENDABOT, merged=False)
    archive.pull_opened(at(1, 20, 14), ROCKET, DAVE, 5, 2005)
    archive.push(at(1, 21, 16), ROCKET, BOB, 9_000_001)
    archive.star(at(1, 22, 18), ROCKET, CAROL)
    archive.add(at(1, 23, 19), "SponsorshipEvent", CAROL, ROCKET, {"action": "created"})
    # --- 2023-01, other/lib: nothing that counts
    archive.push(at(1, 10, 7), LIB, BOB, 9_000_002)
    archive.fork(at(1, 11, 7), LIB, CAROL, 8_000_001)
    # --- 2023-02, rocketorg/rocket (renamed)
    archive.issue_opened(at(2, 2, 9), ROCKET_RENAMED, CAROL_CAPITALISED, 4, 1004)
    archive.issue_comment(at(2, 2, 11), ROCKET_RENAMED, BOB, 4, 1004, 5004, CAROL_CAPITALISED)
    archive.pull_closed(at(2, 3, 13), ROCKET_RENAMED, BOB, 5, 2005, GHOST, merged=True)
    # --- 2023-02, acme/engine
    archive.pull_opened(at(2, 6, 10), ENGINE, ALICE, 7, 2107)
    archive.review_comment(at(2, 7, 10), ENGINE, BOB, 7, 2107, ALICE, 6101)
    archive.pull_closed(at(2, 8, 10), ENGINE, BOB, 7, 2107, ALICE, merged=True)
    return archive


def write_small_case(folder: Path) -> list[Path]:
    return small_case().write(folder)


# --- the expansion case -----------------------------------------------------------------------------

SEED_A = Repo(1001, "seed/a")
EXPANSION_CANDIDATES = {  # repository -> developers active in it in March 2023 (d1 ... d12)
    Repo(1002, "c/one"): [1, 2, 3, 4, 5, 6, 7, 8, 11],
    Repo(1003, "c/two"): [1, 2, 3, 4, 5, 12],
    Repo(1004, "c/three"): [6, 7, 8],
    Repo(1005, "c/four"): [9, 10],
    Repo(1006, "c/five"): [10],
}
CI_BOT = User(90001, "ci-bot[bot]")
OUTSIDE = Repo(1007, "c/later")  # the seed's developers, but in May: outside the period


def developer(number: int) -> User:
    return User(500 + number, f"d{number}")


def expansion_case() -> Archive:
    """seed/a has d1..d10 active in March 2023 (and a bot); the candidates share some of them.

    Every developer's way of being active varies (an issue, a comment, a pull request, a review,
    a review comment): all five kinds make a developer active. d8 only reviews in c/one.
    """
    archive = Archive()
    kinds = ["issue", "comment", "pull", "review", "review_comment"]
    serial = iter(range(10_000, 99_999))
    for index, number in enumerate(range(1, 11)):
        _active(archive, SEED_A, developer(number), kinds[index % 5], next(serial))
    archive.issue_comment(at(3, 2, 9), SEED_A, CI_BOT, 1, 777, next(serial), developer(1))
    archive.issue_comment(at(3, 2, 9), Repo(1008, "c/bots"), CI_BOT, 1, 778, next(serial), CI_BOT)
    for repo, numbers in EXPANSION_CANDIDATES.items():
        for index, number in enumerate(numbers):
            kind = "review" if (repo.name, number) == ("c/one", 8) else kinds[(index + 2) % 5]
            _active(archive, repo, developer(number), kind, next(serial))
    for number in range(1, 11):
        archive.issue_opened(datetime(2023, 5, 3, 9, tzinfo=UTC), OUTSIDE, developer(number), number, 60_000 + number)
    # events that make nobody active: a push, a star
    archive.push(at(3, 4, 9), Repo(1002, "c/one"), developer(12), 9_100_001)
    archive.star(at(3, 4, 9), Repo(1005, "c/four"), developer(1))
    return archive


def _active(archive: Archive, repo: Repo, user: User, kind: str, serial: int) -> None:
    when = at(3, 1 + serial % 27, serial % 24)
    author = developer(1)
    if kind == "issue":
        archive.issue_opened(when, repo, user, serial, serial)
    elif kind == "comment":
        archive.issue_comment(when, repo, user, 1, 1, serial, author)
    elif kind == "pull":
        archive.pull_opened(when, repo, user, serial, serial)
    elif kind == "review":
        archive.review(when, repo, user, 2, 2, author, serial)
    else:
        archive.review_comment(when, repo, user, 2, 2, author, serial)
