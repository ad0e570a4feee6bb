"""Plan indicators: the formula registry, yearly values, progress and verdicts.

- formula keys and their Chinese names (what the 指标 ledger may name) are in ``planeval.vocab``
- ``formulas``  — one tested function per key: yearly values from the event ledgers or 年度汇总
- ``series``    — current level (近12个月 / latest year, running average, cumulative), 同比
- ``progress``  — 完成进度, 时序进度, path value, change needed, the verdict rule (THRESHOLDS)
- ``accidents`` — the yearly accident picture (sectors, 较大以上 accidents)
- ``table``     — the indicator table and its note
- ``charts``    — the chapter's charts
- ``chapter``   — everything the 一(一) notebook shows, and its metrics
"""
