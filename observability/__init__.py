"""Operations helpers shared by both environments (standard library + prometheus_client).

Request ids (`request_id`), JSON log lines (`logs`), readiness reports (`readiness`).
Imported by the bot (Rasa, its channels) and by the app (web, action server): never
imports `rasa`, `seniorplus` or `actions`. docs/deployment.md, « Exploitation ».
"""
