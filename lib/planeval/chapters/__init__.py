"""重大战略任务 statistics: sector risk governance, disasters, rescue capacity, reserves, society."""
