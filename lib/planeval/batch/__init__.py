"""Many counties at once: ``planeval batch`` on Dask distributed, and the 县区对比 report."""

from planeval.batch.build import BatchResult, CountyOutcome, batch, build_county
from planeval.batch.counties import CountyList, load_counties

__all__ = ["BatchResult", "CountyList", "CountyOutcome", "batch", "build_county", "load_counties"]
