from nichegraph.cli import main

main()
