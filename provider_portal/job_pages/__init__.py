"""Pages to start a month's aggregation and watch its job."""
