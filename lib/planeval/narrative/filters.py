"""Jinja2 filters available in every narrative template (and in analysts' notes).

=============  ==========================================  ===========================
filter         example                                      gives
=============  ==========================================  ===========================
``int``        ``{{ 1234|int }}``                            ``1,234``
``num``        ``{{ 0.1234|num(3) }}``                       ``0.123``
``wan``        ``{{ 12.5|wan }}``                            ``12.50``
``pct``        ``{{ 0.125|pct }}``                           ``12.5%``
``value``      ``{{ 0.0125|value(3) }}``                     ``0.013`` (indicator precision)
``change``     ``{{ 7|change(8) }}``                         ``下降12.5%`` / ``持平`` / ``由0起增至2起``
``change_ratio`` ``{{ -0.052|change_ratio }}``               ``下降5.2%``
``pct_below``  ``{{ 61/62|pct_below(0.984) }}``              ``False`` (compared as printed)
``date``       ``{{ d|date }}``                              ``2021年3月5日``
``md``         ``{{ d|md }}``                                ``3月5日``
``join_cn``    ``{{ ['工贸行业', '建筑施工']|join_cn }}``     ``工贸行业、建筑施工``
``money``      ``{{ 33402|money }}``                         ``3.34亿元`` (万元 below 1 亿元)
=============  ==========================================  ===========================
"""

from __future__ import annotations

from planeval.narrative import phrasing

FILTERS: dict = {
    "int": phrasing.fmt_int,
    "num": phrasing.fmt_num,
    "wan": phrasing.fmt_wan,
    "money": phrasing.fmt_money,
    "pct": phrasing.fmt_pct,
    "pct_below": phrasing.pct_below,
    "change": phrasing.change_phrase,
    "value": phrasing.fmt_value,
    "change_ratio": phrasing.ratio_change_phrase,
    "date": phrasing.fmt_date,
    "md": phrasing.fmt_month_day,
    "join_cn": phrasing.join_cn,
}
