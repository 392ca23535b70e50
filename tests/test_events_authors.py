"""The authors' soft/hard training-example rule (schmeud ``ml.group_hard_soft_by_cutoffs``)
beside the paper-text rule, on planted phop series whose answers are worked out by hand.

Series are a flat baseline with triangular bumps: each bump is one strict local maximum
at its centre, the flat stretches between bumps are troughs (plateaus: their middle
sample), flat stretches touching the ends are neither.
"""

from __future__ import annotations

import numpy as np
import pytest

from softness_entropy.analysis.events import (
    EVENT_RULES,
    Events,
    hard_events,
    hard_events_authors,
    soft_events,
    soft_events_authors,
    training_events,
)


def bumps(n: int, base: float, *peaks: tuple[int, float], half_width: int = 3) -> np.ndarray:
    """Length-n series at ``base`` with a triangle of apex ``value`` at each ``(t, value)``."""
    f = np.full(n, base)
    t = np.arange(n)
    for centre, value in peaks:
        tri = base + (value - base) * np.clip(1 - np.abs(t - centre) / half_width, 0, None)
        inside = np.abs(t - centre) < half_width
        f[inside] = tri[inside]
    return f


def pairs(events: Events) -> list[tuple[int, int]]:
    """(particle, frame) in the returned order."""
    return list(zip(events.particles.tolist(), events.frames.tolist(), strict=True))


def test_quiet_particle_gives_one_hard_example_at_its_maximum():
    # max 0.04 < p_H at frame 20; the separation exceeds the series: one survivor
    f = bumps(50, 0.01, (20, 0.04), half_width=10)
    hard = hard_events_authors(f[:, None], 0.05, separation=100)
    assert pairs(hard) == [(0, 20)]
    assert hard.frames.dtype == np.int64 and hard.particles.dtype == np.int64
    assert len(soft_events_authors(f[:, None], 0.2, separation=100)) == 0
    # several quiet maxima: only the largest survives a separation longer than the series
    g = bumps(60, 0.01, (10, 0.03), (30, 0.045), (50, 0.02))
    assert pairs(hard_events_authors(g[:, None], 0.05, separation=100)) == [(0, 30)]
    # a separation shorter than their spacing keeps all three
    assert pairs(hard_events_authors(g[:, None], 0.05, separation=20)) == [
        (0, 10),
        (0, 30),
        (0, 50),
    ]


def test_particle_with_a_hop_is_hard_only_under_the_paper_rule():
    # dip to 0.01 at frame 30 (a trough), hop to 0.5 at frame 80 (the only maximum)
    f = 0.03 - bumps(120, 0.0, (30, 0.02), half_width=3) + bumps(120, 0.0, (80, 0.47))
    assert f[30] == pytest.approx(0.01) and f[80] == pytest.approx(0.5)
    phop = f[:, None]
    assert pairs(hard_events_authors(phop, 0.05, separation=800)) == []
    assert pairs(hard_events(phop, 0.05, separation=80)) == [(0, 30)]
    assert pairs(soft_events_authors(phop, 0.2, separation=100)) == [(0, 80)]
    assert pairs(soft_events(phop, 0.2, separation=10)) == [(0, 80)]


def test_two_close_soft_peaks_keep_the_larger():
    f = bumps(60, 0.01, (20, 0.3), (26, 0.45), half_width=2)
    phop = f[:, None]
    for select in (soft_events_authors, soft_events):
        assert pairs(select(phop, 0.2, separation=10)) == [(0, 26)]
        # exactly `separation` apart is far enough
        assert pairs(select(phop, 0.2, separation=6)) == [(0, 20), (0, 26)]
        assert pairs(select(phop, 0.2, separation=7)) == [(0, 26)]


def test_small_quiet_maximum_near_a_hop_is_not_hard():
    # quiet maximum 0.03 at 40, hop 0.5 at 70, quiet maximum 0.04 at 150
    f = bumps(200, 0.01, (40, 0.03), (70, 0.5), (150, 0.04))
    phop = f[:, None]
    # 40 lies 30 frames from the hop: suppressed at 50; 150 lies 80 away: kept
    assert pairs(hard_events_authors(phop, 0.05, separation=50)) == [(0, 150)]
    assert pairs(hard_events_authors(phop, 0.05, separation=20)) == [(0, 40), (0, 150)]
    # longer than 80: the hop suppresses both, nothing is hard
    assert pairs(hard_events_authors(phop, 0.05, separation=81)) == []
    # the sub-threshold maximum at 40 never counts as soft, whatever the separation
    assert pairs(soft_events_authors(phop, 0.2, separation=5)) == [(0, 70)]


def test_sub_threshold_maximum_suppresses_an_even_smaller_one():
    # both below p_H: the thinning sees every maximum, so 0.04 at 20 removes 0.02 at 25
    # (5 frames away) and only 20 is a hard example; at separation 5 both are kept
    f = bumps(60, 0.01, (20, 0.04), (25, 0.02), half_width=2)
    assert pairs(hard_events_authors(f[:, None], 0.05, separation=10)) == [(0, 20)]
    assert pairs(hard_events_authors(f[:, None], 0.05, separation=5)) == [(0, 20), (0, 25)]


def test_chained_suppression_can_keep_a_hard_example_near_a_hop():
    # 1.0 at 100 removes 0.9 at 150 (50 < 80); 0.04 at 200 is 100 from the survivor at
    # 100, so it is kept although the 0.9 hop lies only 50 frames away (find_peaks' rule)
    f = bumps(260, 0.01, (100, 1.0), (150, 0.9), (200, 0.04), half_width=10)
    phop = f[:, None]
    assert pairs(hard_events_authors(phop, 0.05, separation=80)) == [(0, 200)]
    assert pairs(soft_events_authors(phop, 0.2, separation=80)) == [(0, 100)]


def test_thresholds_soft_inclusive_hard_strict():
    f = np.zeros(40)
    f[10] = 0.2  # exactly p_S: soft
    f[20] = 0.05  # exactly p_H: not hard under the authors' rule
    f[30] = 0.0499  # just below: hard
    phop = f[:, None]
    assert pairs(soft_events_authors(phop, 0.2, separation=5)) == [(0, 10)]
    assert pairs(hard_events_authors(phop, 0.05, separation=5)) == [(0, 30)]
    g = np.zeros(40)
    g[10] = 0.1999
    assert pairs(soft_events_authors(g[:, None], 0.2, separation=5)) == []


def test_multi_particle_indices_and_order():
    n = 100
    quiet = bumps(n, 0.01, (40, 0.03), half_width=10)  # one hard at 40, no soft
    hopper = bumps(n, 0.02, (20, 0.6), (70, 0.35))  # soft at 20 and 70, no hard
    flat = np.full(n, 0.01)  # no maximum at all: nothing
    both = bumps(n, 0.01, (15, 0.04), (85, 0.3))  # hard at 15 (70 from the hop), soft 85
    phop = np.stack([quiet, hopper, flat, both], axis=1)
    soft = soft_events_authors(phop, 0.2, separation=10)
    hard = hard_events_authors(phop, 0.05, separation=60)
    assert pairs(soft) == [(1, 20), (1, 70), (3, 85)]
    assert pairs(hard) == [(0, 40), (3, 15)]
    for events in (soft, hard):
        assert events.frames.dtype == np.int64 and events.particles.dtype == np.int64
    empty = hard_events_authors(np.zeros((10, 0)))
    assert len(empty) == 0 and empty.frames.dtype == np.int64


def test_training_events_dispatches_by_rule():
    n = 100
    phop = np.stack(
        [
            0.03 - bumps(n, 0.0, (30, 0.02)) + bumps(n, 0.0, (70, 0.47)),
            bumps(n, 0.01, (50, 0.04), half_width=10),
        ],
        axis=1,
    )
    assert EVENT_RULES == ("paper", "authors")
    soft, hard = training_events(phop, "paper", 0.2, 0.05, 10, 80)
    assert pairs(soft) == [(0, 70)]
    assert pairs(hard) == [(0, 30)]
    soft, hard = training_events(phop, "authors", 0.2, 0.05, 10, 80)
    assert pairs(soft) == [(0, 70)]
    assert pairs(hard) == [(1, 50)]


def test_training_events_rejects_an_unknown_rule():
    with pytest.raises(ValueError, match=r"'schmeud'.*'paper', 'authors'"):
        training_events(np.zeros((10, 2)), "schmeud", 0.2, 0.05, 10, 80)


def test_soft_rules_agree_at_equal_separation():
    # cross-check, not hand-derived: thinning before or after the height test gives the
    # same soft peaks, since only a higher peak can remove one
    rng = np.random.default_rng(11)
    phop = np.abs(rng.normal(0.0, 0.12, size=(400, 12)))
    for separation in (1, 10, 100):
        assert pairs(soft_events_authors(phop, 0.2, separation)) == pairs(
            soft_events(phop, 0.2, separation)
        )
