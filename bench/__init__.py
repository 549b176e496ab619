"""The benchmark: queries, time and size per page, audit throughput and memory (see README)."""
