"""Python side of customer_health: loading, orchestration and reporting helpers."""
