"""The builders a clause is offered, in order (the first that reads the whole clause wins)."""

from __future__ import annotations

from trialmatch.nlp.builders.allergy import build_allergy
from trialmatch.nlp.builders.assessment import build_assessment
from trialmatch.nlp.builders.clinical import build_condition, build_metastasis
from trialmatch.nlp.builders.disease import build_disease
from trialmatch.nlp.builders.labs import build_lab
from trialmatch.nlp.builders.participation import build_participation
from trialmatch.nlp.builders.person import build_age, build_performance, build_sex
from trialmatch.nlp.builders.pregnancy import build_pregnancy
from trialmatch.nlp.builders.therapy import build_procedure, build_therapy
from trialmatch.nlp.builders.toxicity import build_residual_toxicity
from trialmatch.nlp.builders.vaccines import build_vaccination

BUILDERS = (build_age, build_sex, build_performance, build_lab, build_pregnancy, build_metastasis,
            build_condition, build_therapy, build_procedure, build_disease, build_assessment,
            build_allergy, build_vaccination, build_participation, build_residual_toxicity)

# "Women of childbearing potential must ...": a subject word, not a requirement on sex
QUALIFIED_BUILDERS = tuple(b for b in BUILDERS if b is not build_sex)
