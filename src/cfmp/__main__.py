from cfmp.cli import main

main()
