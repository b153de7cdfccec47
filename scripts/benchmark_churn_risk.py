"""Benchmark the churn-risk training (the dbt Python model int_churn_risk_coefficients) at a
size no demo reaches: a synthetic warehouse of N customers x W weeks with the tables the model
reads, then the model's own code run against it. Prints rows, seconds and peak memory.

    python scripts/benchmark_churn_risk.py --customers 100000 --weeks 104

The tables are synthetic (random indicator scores, a share of customers churning), shaped
like the build's; what is measured is the model's SQL and fitting, not the data's signal.
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parents[1]
MODEL = PROJECT / "models/intermediate/churn_risk/int_churn_risk_coefficients.py"


class _Relation:
    def __init__(self, name: str) -> None:
        self.name = name

    def sql_query(self) -> str:
        return f"select * from {self.name}"


class _Config:
    def __init__(self, meta: dict) -> None:
        self.meta = meta

    def __call__(self, **_: object) -> None:
        pass

    def meta_get(self, key: str) -> object:
        return self.meta[key]


class _Dbt:
    """What the model asks of dbt: ref() and its config's meta."""

    def __init__(self, meta: dict) -> None:
        self.config = _Config(meta)

    def ref(self, name: str) -> _Relation:
        return _Relation(name)


def _synthesise(con: duckdb.DuckDBPyConnection, customers: int, weeks: int) -> None:
    seeds = PROJECT / "seeds"
    con.execute(
        "create table indicator_catalogue as select *"
        f" from read_csv('{seeds}/indicator_catalogue.csv')"
    )
    con.execute(
        f"create table indicator_weights as select * from read_csv('{seeds}/indicator_weights.csv')"
    )
    con.execute(
        f"""
        create table int_weeks as
        select date '2024-11-18' + cast(7 * i as integer) as week_start,
            date '2024-11-25' + cast(7 * i as integer) as week_end
        from range({weeks}) as t(i)
        """
    )
    # a quarter of the customers churn, at a random week after their first 13
    con.execute(
        f"""
        create table customers as
        select
            'C' || lpad(cast(i as varchar), 7, '0') as customer_id,
            ['smb', 'mid_market', 'enterprise'][1 + i % 3] as segment,
            case when hash(i, 'churn') % 4 = 0
                then date '2024-11-18'
                    + cast(7 * (13 + hash(i, 'week') % {weeks - 13}) + 3 as integer)
            end as churn_date
        from range({customers}) as t(i)
        """
    )
    con.execute(
        """
        create table int_subscription_periods as
        select customer_id, timestamp '2024-01-01' as started_at,
            cast(churn_date as timestamp) as ended_at
        from customers
        """
    )
    con.execute(
        """
        create table int_subscription_spells as
        select customer_id, 1 as spell_number, timestamp '2024-01-01' as started_at,
            cast(churn_date as timestamp) as ended_at, cast(null as timestamp) as doubted_from,
            cast(null as timestamp) as next_spell_started_at
        from customers
        """
    )
    con.execute(
        """
        create table int_customer_week_outcomes as
        select c.customer_id, w.week_start, w.week_end, c.segment, 1 as spell_number,
            cast(c.churn_date as timestamp) as next_churned_at
        from customers as c
        inner join int_weeks as w
            on c.churn_date is null or w.week_end <= c.churn_date
        """
    )
    con.execute(
        """
        create table int_indicator_scores as
        select o.customer_id, o.week_start, k.indicator_key,
            case when hash(o.customer_id, o.week_start, k.indicator_key) % 10 = 0 then null
                else (hash(o.customer_id, k.indicator_key, o.week_start) % 1000) / 10.0
                    - case when o.next_churned_at is not null
                        and o.next_churned_at < o.week_end + interval 84 days then 20 else 0 end
            end as normalised_score
        from int_customer_week_outcomes as o
        cross join indicator_catalogue as k
        """
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--customers", type=int, default=100_000)
    p.add_argument("--weeks", type=int, default=104)
    p.add_argument("--memory-limit", default="12GB")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    spec = importlib.util.spec_from_file_location("churn_risk_model", MODEL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        con.execute(f"set memory_limit = '{args.memory_limit}'; set threads = {args.threads}")
        con.execute(f"set temp_directory = '{tmp}/spill'")
        started = time.perf_counter()
        _synthesise(con, args.customers, args.weeks)
        built = time.perf_counter() - started
        weeks_rows = con.execute("select count(*) from int_customer_week_outcomes").fetchone()[0]
        score_rows = con.execute("select count(*) from int_indicator_scores").fetchone()[0]
        meta = {
            "horizon_weeks": 12,
            "churn_grace_days": 30,
            "retrain_weeks": 13,
            "min_churns": 50,
            "max_training_rows": 200_000,
            "regularisation_c": 0.01,
        }
        started = time.perf_counter()
        table = module.model(_Dbt(meta), con)
        trained = time.perf_counter() - started
        models = len(set(table.column("model_id").to_pylist()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"customers              {args.customers:>14,}")
    print(f"customer-weeks         {weeks_rows:>14,}")
    print(f"indicator-score rows   {score_rows:>14,}")
    print(f"synthetic tables       {built:>13.1f} s")
    print(f"training (all models)  {trained:>13.1f} s  ({models} checkpoints trained)")
    print(f"peak memory (process)  {peak:>13.2f} GiB  (DuckDB limit {args.memory_limit})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
