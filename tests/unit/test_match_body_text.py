"""The rendered match body's text (trialmatch.match_view.dumps): compact, ASCII-only JSON that
decodes to exactly the view it was made from."""

import json

from trialmatch.match_view import dumps, with_fields


def test_the_body_text_is_compact_ascii_json_of_the_same_value():
    view = {"results": [{"trial_id": "NCT04379596", "title": "Tucatinib ≥ 18 years – HER2+ “quoted”",
                         "score": 0.5, "missing": [], "criteria": {"children": [{"verdict": "unknown"}]}}],
            "warnings": [{"location": "Bundle.entry[3]", "message": "line\nbreak"}]}
    text = dumps(view)
    assert text.isascii() and "\n" not in text and ", " not in text and ": " not in text
    assert json.loads(text) == view
    fields = {"mode": "worker", "cached": False}
    assert json.loads(with_fields(text, fields)) == {**fields, **view}
