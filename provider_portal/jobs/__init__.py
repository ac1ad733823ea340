"""The background jobs, on RQ: one package for everything the workers run and the app asks of them.

- `queues`: the queues, the Job class (an app context of the worker's app), retries, error lines;
- `liveness`: whether a job can still get done, and handing back a dead worker's jobs;
- `worker_class`: the worker, running the aggregation queue's jobs without a fork;
- `aggregation`: a month's invoices and scores, one job per contract and one for the month;
- `documents`: PDFs made on the `documents` queue and kept for download;
- `changeover` and `schedule`: the nightly changeover, and what `rq cron` runs when.

Nothing here imports the app factory or a blueprint: the worker makes the app once (worker.py).
"""
