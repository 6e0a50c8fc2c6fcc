-- PostgreSQL for Spasm Coach: run once as a superuser (psql -f deploy/postgresql.sql), then point every host's
-- SPASM_COACH_DATABASE_URL at postgresql://spasm_coach@db.internal:5432/spasm_coach (with a password or
-- certificate per your pg_hba.conf).
CREATE ROLE spasm_coach LOGIN;
CREATE DATABASE spasm_coach OWNER spasm_coach;
-- What it needs: its own database, where it creates its two tables at first start. Nothing else.
REVOKE ALL ON DATABASE spasm_coach FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE spasm_coach TO spasm_coach;
-- The service sets these on each connection too (SPASM_COACH_DB_LOCK_TIMEOUT, ..._STATEMENT_TIMEOUT); the role
-- settings also bound psql sessions and the timers' jobs. A transaction left open never holds a row for long.
ALTER ROLE spasm_coach SET statement_timeout = '3s';
ALTER ROLE spasm_coach SET lock_timeout = '2s';
ALTER ROLE spasm_coach SET idle_in_transaction_session_timeout = '10s';
-- Connections: each worker keeps one, so hosts × workers (3 hosts of 2 workers is 6), plus the timers' jobs.
ALTER ROLE spasm_coach CONNECTION LIMIT 20;
