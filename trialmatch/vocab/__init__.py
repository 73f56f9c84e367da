"""The oncology vocabulary: OncoTree hierarchy, code crosswalks, markers, labs, drugs,
conditions, metastatic sites and fuzzy term lookup, all shipped as validated data files.

    from trialmatch.vocab import load_vocabulary
    vocab = load_vocabulary()   # cached; raises RuleFileError on a bad data file
"""

from trialmatch.vocab.fuzzy import TermMatch
from trialmatch.vocab.labs import LabConcept
from trialmatch.vocab.vocabulary import Vocabulary, load_vocabulary, load_vocabulary_from

__all__ = ["LabConcept", "TermMatch", "Vocabulary", "load_vocabulary", "load_vocabulary_from"]
