"""Talking to bibliographic web services: an HTTP layer with a cache, and the services."""
