"""Writes of 检查考核: rubrics, evaluation, checks (spot checks), bulletins."""
