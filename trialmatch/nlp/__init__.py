"""Eligibility text -> criteria (the only spaCy <-> domain seam).

    parse_eligibility(text, vocab) -> ParsedEligibility
    trial_from_record(record, vocab) -> (TrialCriteria, ParsedEligibility)
    PARSER_VERSION
"""

from trialmatch.nlp.parsed_eligibility import ParsedEligibility, ParsedItem
from trialmatch.nlp.parser import PARSER_VERSION, parse_eligibility
from trialmatch.nlp.trial_records import trial_from_record

__all__ = ["PARSER_VERSION", "ParsedEligibility", "ParsedItem", "parse_eligibility", "trial_from_record"]
