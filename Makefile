.PHONY: run test bench
# 一条命令运行平台（SQLite + 示例数据）
run:
	scripts/run.sh
# 一条命令运行代码检查与全部测试（设置 TEST_DATABASE_URL 时使用 PostgreSQL）
test:
	scripts/test.sh
bench:
	scripts/bootstrap.sh requirements-dev.lock && .venv/bin/python bench/run_all.py
