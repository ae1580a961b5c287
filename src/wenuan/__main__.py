from wenuan.cli import main

main()
