"""Click commands of the trialmatch CLI, one module per area; wired in trialmatch.cli."""
