"""Faithful device simulators. They never import the integration's code."""
