"""Plain estimates of benefit amounts (pure functions, ``Decimal`` money, no I/O)."""

from seniorplus.estimates.apa import (
    PARAMETERS_BY_YEAR,
    ApaEstimate,
    ApaParameters,
    EstimateError,
    Scale,
    establishment_participation,
    estimate_home,
    home_participation,
    home_plan_ceiling,
    parameters_for,
    scale_on,
)

__all__ = [
    "PARAMETERS_BY_YEAR",
    "ApaEstimate",
    "ApaParameters",
    "EstimateError",
    "Scale",
    "establishment_participation",
    "estimate_home",
    "home_participation",
    "home_plan_ceiling",
    "parameters_for",
    "scale_on",
]
