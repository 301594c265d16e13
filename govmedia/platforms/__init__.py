"""Clients for the platforms' open APIs (pure: httpx, no Django), one subpackage per platform."""
