"""What a person is told when the job queue (Redis) cannot be reached, as the fault tests read
it: the Danish page and the API's English JSON message."""

QUEUE_DOWN_DA = "Jobkøen kan ikke nås lige nu. Prøv igen om et minut."
QUEUE_DOWN_EN = (
    "The job queue cannot be reached just now; nothing was changed. Try again in a minute."
)
