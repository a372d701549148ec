"""Pure Python: entities, Party rules and Vietnamese text. Standard library only."""
