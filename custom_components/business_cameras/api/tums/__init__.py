"""TP-Link TUMS business-cloud OpenAPI client (AK/SK signed HTTPS, no Home Assistant imports)."""
