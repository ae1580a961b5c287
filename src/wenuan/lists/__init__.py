"""Payment lists: reading the people paid, ID and card checks, reconciling with the return."""
