"""The DataFrame adapter: display, sort keys, row keys and resets."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt

from gui.article_table import articles_frame, format_published
from gui.frame_model import KEY_ROLE, SORT_ROLE, FrameModel


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["나", "가", "다"],
            "count": [9, 10, 2],
            "when": ["2024-03 (월)", "2024-02-15", "날짜 모름"],
            "when_sort": ["2024-03-01", "2024-02-15", "9999"],
        }
    )


def test_numbers_sort_as_numbers_and_dates_by_their_sort_column(qtbot):
    model = FrameModel([("name", "이름"), ("count", "수"), ("when", "날짜")], key="name")
    model.set_frame(_frame())
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)

    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 1).data() for r in range(3)] == ["2", "9", "10"]
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data(KEY_ROLE) for r in range(3)] == ["가", "나", "다"]
    assert model.headerData(2, Qt.Orientation.Horizontal) == "날짜"


def test_a_new_frame_resets_the_model(qtbot):
    model = FrameModel([("name", "이름")], key="name")
    model.set_frame(_frame())
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset], order="strict"):
        model.set_frame(_frame().iloc[:1])
    assert model.rowCount() == 1
    assert model.row_of("나") == 0 and model.row_of("가") == -1
    model.set_frame(pd.DataFrame({"name": ["가", "나", "가"]}))
    assert model.row_of("가") == 0 and model.row_of("나") == 1  # a repeated key: its first row


def test_a_frame_without_a_shown_column_is_refused():
    model = FrameModel([("name", "이름"), ("missing", "없음")])
    with pytest.raises(ValueError, match="missing"):
        model.set_frame(_frame())


def test_articles_frame_of_no_corpus_is_empty_with_all_columns():
    frame = articles_frame(None)
    assert frame.empty and {"file", "title", "date", "date_sort"} <= set(frame.columns)
    assert format_published(None) == "날짜 모름"


def test_the_model_sorts_itself_stably_and_keeps_the_order_for_a_new_frame(qtbot):
    model = FrameModel([("name", "이름"), ("count", "수"), ("when", "날짜")], key="name")
    model.set_frame(_frame())
    model.sort(2, Qt.SortOrder.AscendingOrder)  # by the "when_sort" keys
    assert [model.index(r, 0).data() for r in range(3)] == ["가", "나", "다"]
    assert model.row_of("가") == 0 and model.value(0, "count") == 10
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 1).data() for r in range(3)] == ["10", "9", "2"]
    model.sort(-1, Qt.SortOrder.AscendingOrder)  # the frame's own order again
    assert model.frame["name"].tolist() == ["나", "가", "다"]

    model.sort(1, Qt.SortOrder.AscendingOrder)
    ties = pd.DataFrame({"name": ["라", "마", "바", "사"], "count": [2, 1, 2, 1]})
    ties["when"] = ""
    model.set_frame(ties)  # sorted as asked before; equal counts keep the frame's order
    assert [model.index(r, 0).data() for r in range(4)] == ["마", "사", "라", "바"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(4)] == ["라", "바", "마", "사"]


def test_a_selection_follows_its_row_through_a_sort(qtbot):
    from PySide6.QtCore import QPersistentModelIndex

    model = FrameModel([("name", "이름"), ("count", "수")], key="name")
    model.set_frame(_frame())
    held = QPersistentModelIndex(model.index(0, 1))  # "나", count 9
    with qtbot.waitSignals([model.layoutAboutToBeChanged, model.layoutChanged]):
        model.sort(1, Qt.SortOrder.AscendingOrder)
    assert held.row() == 1 and held.column() == 1 and held.data() == "9"


def test_a_column_of_numbers_and_text_sorts_numbers_first(qtbot):
    # the entity panel's event counts: a number per entity, blank on its group's row
    model = FrameModel([("label", "개체"), ("events", "사건")])
    model.set_frame(pd.DataFrame({"label": ["가", "나", "다"], "events": [3, "", 1]}))
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == ["다", "가", "나"]


def test_fit_columns_sizes_as_qt_does_over_every_row(qtbot):
    import pandas as pd
    from PySide6.QtWidgets import QTableView

    from gui.frame_model import FrameModel, fit_columns

    # the longest texts sit far beyond the rows Qt samples (SIZE_SAMPLE_ROWS)
    names = ["짧은 글"] * 300
    names[250] = "아주 길게 늘어진 제목이 하나 있다면 그 열은 이만큼 넓어야 한다"
    counts = list(range(300))
    counts[280] = 1234567890
    model = FrameModel([("name", "이름"), ("count", "개수")])
    model.set_frame(pd.DataFrame({"name": names, "count": counts}))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()

    fit_columns(view, model, [0, 1])
    fitted = [view.columnWidth(0), view.columnWidth(1)]
    view.horizontalHeader().setResizeContentsPrecision(-1)  # Qt measuring every row
    view.resizeColumnsToContents()
    assert fitted == [view.columnWidth(0), view.columnWidth(1)]
    assert fitted[0] > view.fontMetrics().horizontalAdvance(names[250])
