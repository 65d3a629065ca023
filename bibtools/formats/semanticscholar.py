from ..registry import Format
FORMAT = Format(name="semanticscholar", description="wip")
