"""Talking to bibliographic web services: an HTTP layer with a cache, and the services.

Importing this package is cheap; ``http`` (httpx) loads when a service is asked.
"""

# The services enrichment can ask, in the default order.
ALL_SOURCES: tuple[str, ...] = ("crossref", "arxiv", "openalex", "s2")
