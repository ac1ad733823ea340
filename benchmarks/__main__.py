"""`python -m benchmarks`: run every benchmark and print one line per measurement."""

import logging
import warnings

from . import aggregation, benchmark_export, ingestion, milestones, pdf


def main() -> None:
    warnings.simplefilter("ignore")
    logging.disable(logging.INFO)  # migration chatter
    for benchmark in (ingestion, aggregation, milestones, pdf, benchmark_export):
        for line in benchmark.run():
            print(line, flush=True)


if __name__ == "__main__":
    main()
