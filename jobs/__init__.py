"""Background work. `jobs.queue.enqueue()` sends; task modules (`jobs.mail`, ...) hold the tasks.

Tasks take ids, reload their rows, do nothing harmful when run twice or when the row is gone.
"""
