" Vim syntax file for camsim scenarios (*.camsim): the scenario language, and
" the C of the drivers a scenario declares. The word lists are checked against
" camsim's own by a test (test/protocol/nvim-plugin.test.ts).
if exists('b:current_syntax')
  finish
endif

syntax keyword camsimDeclaration scenario kernel device process schedule expect driver
syntax keyword camsimStatement open close ioctl lose repeat
syntax keyword camsimKeyword as with no
syntax keyword camsimOutcome panic deadlock leak
syntax match camsimOutcome /\<use-after-free\>/
syntax keyword camsimBoolean true false
syntax keyword camsimDriver pass sg ch enc pt sa
syntax match camsimVariant /\<\(before\|after\)-fix\>/
syntax match camsimOption /\<io-error\>/
syntax keyword camsimDriverField d_flags softc_flags resting
syntax keyword camsimRoutine d_open d_close oninvalidate devgonecb
syntax keyword camsimCKeyword if else return goto int
syntax keyword camsimKernelCall cam_periph_acquire cam_periph_release cam_periph_release_locked cam_periph_lock cam_periph_unlock cam_periph_hold cam_periph_unhold cam_periph_invalidate mtx_lock mtx_unlock scsi_io
syntax keyword camsimConstant D_TRACKCLOSE D_NEEDGIANT CAM_REQ_CMP CAM_REQ_CMP_ERR CAM_PERIPH_INVALID Giant ENXIO EBUSY EIO EINVAL ENOENT
syntax match camsimConstant /\<[A-Z][A-Z0-9_]*_FLAG_[A-Z0-9_]\+\>/
syntax match camsimNumber /\<\(0x\x\+\|\d\+\)\>/
syntax region camsimString start=/"/ skip=/\\./ end=/"\|$/
syntax match camsimComment /#.*$/ contains=@Spell
syntax region camsimCComment start=+/\*+ end=+\*/+ contains=@Spell
syntax match camsimCComment +//.*$+ contains=@Spell

highlight default link camsimDeclaration Structure
highlight default link camsimStatement Statement
highlight default link camsimKeyword Keyword
highlight default link camsimOutcome Constant
highlight default link camsimBoolean Boolean
highlight default link camsimDriver Type
highlight default link camsimVariant Constant
highlight default link camsimOption Constant
highlight default link camsimDriverField Identifier
highlight default link camsimRoutine Function
highlight default link camsimCKeyword Statement
highlight default link camsimKernelCall Function
highlight default link camsimConstant Constant
highlight default link camsimNumber Number
highlight default link camsimString String
highlight default link camsimComment Comment
highlight default link camsimCComment Comment

let b:current_syntax = 'camsim'
