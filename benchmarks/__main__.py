"""`python -m benchmarks`: run every benchmark and print one line per measurement."""

import warnings

from . import ingestion


def main() -> None:
    warnings.simplefilter("ignore")
    for benchmark in (ingestion,):
        for line in benchmark.run():
            print(line, flush=True)


if __name__ == "__main__":
    main()
