"""Pure domain model: patient facts, criteria trees, verdicts. No framework imports."""
