from ..registry import Format
FORMAT = Format(name="openalex", description="wip")
