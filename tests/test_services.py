"""The throwaway redis/PostgreSQL fixtures from tests/backing_services.py really work."""

import psycopg
import pytest
import redis


def test_redis_server_answers_ping(redis_server):
    assert redis_server.startswith("redis://127.0.0.1:")
    with redis.Redis.from_url(redis_server) as client:
        assert client.ping() is True
        client.set("æøå", "ÆØÅ")
        assert client.get("æøå").decode() == "ÆØÅ"


@pytest.mark.postgres
def test_postgres_server_creates_fresh_databases(postgres_server):
    first = postgres_server.create_database()
    second = postgres_server.create_database()
    assert first != second
    assert first.startswith(f"postgresql://postgres@127.0.0.1:{postgres_server.port}/")
    with psycopg.connect(first) as conn:
        version = conn.execute("SELECT version()").fetchone()[0]
        assert "PostgreSQL" in version
        conn.execute("CREATE TABLE t (name text)")
        conn.execute("INSERT INTO t VALUES ('Søren Ærø Ågård')")
        assert conn.execute("SELECT upper(name) FROM t").fetchone()[0] == "SØREN ÆRØ ÅGÅRD"
    with psycopg.connect(second) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
        assert tables == 0
