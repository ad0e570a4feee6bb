"""README shows the two commands first and a ledger table in step with the schema."""

import re

from planeval.data.schema import markdown_table
from planeval.paths import PROJ_ROOT

README = (PROJ_ROOT / "README.md").read_text(encoding="utf-8")


def test_two_commands_come_first():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    assert "make report" in first_block and "make test" in first_block


def test_ledger_table_matches_schema():
    block = re.search(r"<!-- ledgers:start[^>]*-->\n(.*?)\n<!-- ledgers:end -->", README, re.S)
    assert block, "README lost its ledger table markers"
    assert block.group(1).strip() == markdown_table().strip()
