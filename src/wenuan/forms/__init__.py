"""What a notice asks: the form model and its YAML files, rules, deadlines, the roster."""
