"""Reading MatchMiner documents in the formats sites export."""

from datetime import date

import pytest

from trialmatch.errors import CriteriaError, PatientDataError
from trialmatch.matchminer import read_ctml_path, read_matchminer_documents
from trialmatch.matchminer.documents import decode_extended, parse_documents


def test_extended_json_values_are_decoded():
    doc = {"_id": {"$oid": "5d27"}, "n": {"$numberInt": "112"}, "x": {"$numberDouble": "0.55"},
           "l": {"$numberLong": "7"}, "d1": {"$date": {"$numberLong": "161568000000"}},
           "d2": {"$date": "2014-05-23T04:00:00Z"}, "deep": [{"$numberInt": "1"}]}
    assert decode_extended(doc) == {"_id": "5d27", "n": 112, "x": 0.55, "l": 7, "d1": date(1975, 2, 14),
                                    "d2": date(2014, 5, 23), "deep": [1]}


def test_formats_object_array_ndjson_yaml():
    assert parse_documents('{"protocol_no": "1"}', "a") == [{"protocol_no": "1"}]
    assert parse_documents('[{"a": 1}, {"a": 2}]', "b") == [{"a": 1}, {"a": 2}]
    assert parse_documents('{"a": 1}\n{"a": 2}\n', "c") == [{"a": 1}, {"a": 2}]
    assert parse_documents("protocol_no: 00-001\nstatus: open to accrual\n", "d") == [
        {"protocol_no": "00-001", "status": "open to accrual"}]
    assert parse_documents("  \n", "e") == []


def test_bad_files_are_refused_naming_the_file(tmp_path):
    (tmp_path / "bad.json").write_text('{"a": 1}\n{"a": \n')
    with pytest.raises(CriteriaError, match=r"bad\.json: not JSON"):
        read_ctml_path(tmp_path / "bad.json")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    with pytest.raises(PatientDataError, match=r"list\.yaml: .*\[0\]: a document must be an object"):
        read_matchminer_documents(tmp_path / "list.yaml")


def test_folders_are_read_recursively_in_name_order(data_dir):
    docs = read_ctml_path(data_dir / "trials")
    assert [d.get("protocol_no") for d in docs] == ["11-111", None, "11-111", "22-222", "11-111", "22-222"]
    genomic = read_matchminer_documents(data_dir / "wintermutant-demo" / "genomic_json")
    assert [d["TRUE_HUGO_SYMBOL"] for d in genomic] == ["EGFR", "EGFR", "EXA", "KRAS", "STK11", "TP53"]
