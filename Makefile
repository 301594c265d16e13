.PHONY: run serve test bench
# 一条命令运行平台（SQLite + 示例数据）
run:
	scripts/run.sh
# 生产模式：gunicorn + 后台任务进程（DEBUG=0；环境变量见 deploy/govmedia.env，ENV=文件 读取它）
serve:
	scripts/bootstrap.sh requirements.lock
	scripts/system-deps.sh serve
	scripts/serve.sh $(ENV)
# 一条命令运行代码检查与全部测试（设置 TEST_DATABASE_URL 时使用 PostgreSQL）
test:
	scripts/test.sh
# 性能测量（手动运行，不在持续集成中）
bench:
	scripts/bootstrap.sh requirements-dev.lock
	mkdir -p var && : > var/bench.log
	for script in bench/orgs_users.py bench/registry.py bench/compliance.py bench/dashboard.py bench/filing_pdf.py bench/screening_engine.py bench/monitoring.py bench/dormant.py bench/publishing_match.py bench/publishing_pages.py bench/publishing_publish.py bench/coordination.py bench/assessment.py bench/qa.py bench/servicelinks.py bench/interaction.py bench/opinion.py bench/serving.py; do \
		echo "== $$script" | tee -a var/bench.log; \
		.venv/bin/python $$script > var/bench.part 2>&1; status=$$?; \
		cat var/bench.part; cat var/bench.part >> var/bench.log; [ $$status -eq 0 ] || exit 1; done
	@echo "== 各项目标：实测值与是否达到（issue 19）"; grep -h "^target:" var/bench.log
