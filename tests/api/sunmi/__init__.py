"""Tests of the SUNMI IP camera protocol client."""
