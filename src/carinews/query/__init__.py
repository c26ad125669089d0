"""Query text -> an engine-neutral plan: `syntax` (text -> tree) then `parse` (tree -> plan)."""
