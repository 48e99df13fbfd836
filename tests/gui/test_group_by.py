"""Group by: the timeline's lanes stand for camps (default), actors or event types, chosen
from the View menu or the timeline's menu, and remembered (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gui.timeline_labels import MAX_GROUP_LANES, OTHERS_LANE, group_lanes


def _lane_names(view) -> list[str]:
    ticks = view.plot_item.getAxis("left")._tickLevels[0]
    return [name for _y, name in sorted(ticks, key=lambda t: -t[0])]


def _menu_action(window, word: str):
    return next(a for a in window.group_actions.actions() if a.text() == word)


def test_lanes_by_actor_and_type_from_the_view_menu(open_seeds, seeds_timeline):
    window = open_seeds()
    view = window.timeline_view
    assert view.group_by == "camp" and _lane_names(view) == ["개방", "폐쇄", "중립", "교차", "미분류"]
    drawn = view.drawn_ids()

    _menu_action(window, "주체별").trigger()
    assert view.group_by == "actor"
    names = _lane_names(view)
    assert "구글" in names and "Google" not in names  # display names, not ids
    assert view.drawn_ids() == drawn  # the same events, in other lanes
    google = names.index("구글")
    firsts = seeds_timeline.events.set_index("event_id")["actors"].str.split(";").str[0]
    in_lane = {str(view.events.ids[i]) for i in np.flatnonzero(view.events.lanes == google)}
    assert in_lane == set(firsts[firsts == "Google"].index) & set(view.events.ids)
    # colours still say the camp
    assert set(view.events.camps.tolist()) <= {0, 1, 2, 3}

    _menu_action(window, "사건 유형별").trigger()
    assert view.group_by == "event_type"
    assert "출시" in _lane_names(view) or "오픈소스 공개" in _lane_names(view)
    assert all(not name.isascii() for name in _lane_names(view))


def test_group_by_is_remembered_and_offered_in_the_timeline_menu(open_seeds, settings, qtbot):
    window = open_seeds()
    _menu_action(window, "사건 유형별").trigger()
    window.close()
    again = open_seeds(settings)
    assert again.timeline_view.group_by == "event_type"
    assert _menu_action(again, "사건 유형별").isChecked()
    menu = again.timeline_view.make_context_menu("")
    submenus = [a.menu() for a in menu.actions() if a.menu() is not None]
    assert submenus and "진영별" in [a.text() for a in submenus[0].actions()]
    next(a for a in submenus[0].actions() if a.text() == "진영별").trigger()
    assert again.timeline_view.group_by == "camp"


def test_labels_never_overlap_in_lanes_by_actor(open_seeds):
    window = open_seeds()
    _menu_action(window, "주체별").trigger()
    view = window.timeline_view
    view.relayout_labels()
    rects = [r for _t, r in view.label_rects()]
    for k, a in enumerate(rects):
        for b in rects[k + 1 :]:
            assert not a.adjusted(0.01, 0.01, -0.01, -0.01).intersects(b)


def test_many_actors_share_a_last_lane():
    actors = [f"회사{k % 25}" for k in range(100)] + [""]
    lanes, names, camps = group_lanes(pd.DataFrame({"actors": actors}), "actor")
    assert len(names) == MAX_GROUP_LANES + 1 and names[-2] == OTHERS_LANE
    assert names[-1] == "주체 없음" and lanes[-1] == len(names) - 1
    assert camps == (None,) * len(names)
