"""MatchMiner interoperability: CTML trials -> TrialCriteria, MatchMiner patients -> PatientFacts.

    ctml_to_trial(doc, vocab) -> TrialCriteria            (CriteriaError names the field and path)
    read_ctml_path(path) -> list[dict]                     (JSON, YAML, JSON arrays, NDJSON)
    patients_from_matchminer(clinical, genomic, vocab) -> dict[str, PatientFacts]
    read_matchminer_documents(path) -> list[dict]

Semantics and every difference from MatchMiner: docs/matchminer.md.
"""

from trialmatch.matchminer.ctml import ctml_to_trial
from trialmatch.matchminer.documents import read_ctml_path, read_matchminer_documents
from trialmatch.matchminer.patients import patients_from_matchminer

__all__ = ["ctml_to_trial", "patients_from_matchminer", "read_ctml_path", "read_matchminer_documents"]
