complete --keep-order --exclusive --command errbook --arguments "(COMPLETE=fish errbook -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
