" camsim scenarios: *.camsim files have the filetype camsim.
autocmd BufRead,BufNewFile *.camsim setfiletype camsim
