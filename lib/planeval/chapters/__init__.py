"""The chapters of 一、规划实施总体进展情况 beside ``planeval.indicators`` (（一）主要指标):
（二）重大战略任务 — ``risk``, ``disasters``, ``rescue``, ``reserves``, ``society`` — and
（三）重大工程 — ``projects``. A big chapter is a sub-package split by layer (compute, tables,
narrative, charts); ``window`` holds the period windows the capacity chapters share.
"""
