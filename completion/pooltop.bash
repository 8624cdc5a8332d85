# pooltop.bash - bash completion for pooltop: its options and their fixed
# values, file names where an option takes a file, the control verbs of
# `pooltop ctl SOCKET`, and the command (with its own completion) to run.
#
# Installed as "pooltop" in bash-completion's completions directory, which
# loads it on the first TAB after "pooltop".  It also works when sourced by
# a plain bash without bash-completion; then the command's arguments are
# completed as file names.

# Long options; those that need a value carry "=" so the value can follow.
# tests/cli/completion.sh checks this list against pooltop --help.
_pooltop_long_options=(
	--arg-file= --range= --null --delimiter=
	--shell --worker --inflight= --max-items-per-worker= --max-line= --demo
	--max-args= --max-replace-args= --xargs --max-lines= --max-chars= --replace=
	--jobs= --min-jobs= --max-jobs= --autotune --shrink= --retries= --timeout=
	--grace= --delay= --halt=
	--keep-order --joblog= --resume --resume-failed
	--tag --tagstring= --line-buffer --ungroup --group --results= --files --tmpdir=
	--dry-run --verbose
	--load= --memfree= --memsuspend= --nice=
	--pipe --pipepart --block= --recend= --recstart=
	--batch --progress --refresh= --hold --no-color --no-config --control=
	--jobs-file= --log=
	--sshlogin= --ssh=
	--slf= --workdir= --transferfile= --transfer --return= --trc= --cleanup --basefile=
	--help --version
	--link --xapply --colsep= --trim= --header= --shuf --arg-sep= --arg-file-sep=
	--max-procs= --termseq= --process-slot-var= --no-run-if-empty --retry-failed
)
_pooltop_short_options=(-a -0 -C -d -j -k -n -N -m -X -L -s -I -h -V -P -r -u -t -S)
# The verbs of the control socket, in the order its error reply lists them.
_pooltop_ctl_verbs=(jobs pause resume suspend continue status watch kill requeue autotune
	load memfree memsuspend quit host)

# _pooltop_takes_value WORD: whether option WORD, given alone, takes the
# next word as its value.
_pooltop_takes_value() {
	case $1 in
	-a | -d | -j | -n | -N | -L | -s | -I | --arg-file | --range | --delimiter | --inflight | \
	--max-args | --max-replace-args | --max-lines | --max-chars | \
	--max-items-per-worker | --max-line | --jobs | --min-jobs | --max-jobs | \
	--shrink | --retries | --timeout | --grace | --delay | --halt | --joblog | \
	--refresh | --control | --jobs-file | --log | --load | --memfree | \
	--memsuspend | --nice | -C | --colsep | --trim | --header | --arg-sep | \
	--arg-file-sep | -P | --max-procs | --termseq | --term-seq | --process-slot-var | \
	--tagstring | --results | --tmpdir | -S | --sshlogin | --ssh | \
	--slf | --sshloginfile | --workdir | --wd | --transferfile | --tf | --return | --trc | \
	--basefile | --bf)
		return 0
		;;
	esac
	return 1
}

# _pooltop_add CANDIDATE...: add to COMPREPLY the candidates that begin with
# the whole current word, less the part of the word bash keeps: after "="
# or ":" bash replaces only the text that follows them.
_pooltop_add() {
	local candidate keep=$((${#_pooltop_word} - ${#_pooltop_cur}))
	for candidate in "$@"; do
		# A word that ends in "=" already holds the candidate it matches.
		[[ $candidate == "$_pooltop_word"* && -n ${candidate:keep} ]] &&
			COMPREPLY+=("${candidate:keep}")
	done
}

# _pooltop_files: file names that begin with the text being completed;
# bash quotes and marks them as file names.  bash-completion's _filedir,
# when loaded, also knows ~user and quoted words.
_pooltop_files() {
	if declare -F _filedir > /dev/null; then
		# shellcheck disable=SC2034 # _filedir reads the caller's cur
		local cur=$_pooltop_cur
		_filedir
		return
	fi
	compopt -o filenames 2> /dev/null
	# A backslash-escaped word ("my\ fi") names the file without them.
	local -a found
	mapfile -t found < <(compgen -f -- "${_pooltop_cur//\\/}")
	COMPREPLY+=("${found[@]}")
}

# _pooltop_value OPTION: the values OPTION takes, for the text typed so far
# (the whole current word is "OPTION=VALUE" or, when separate, "VALUE").
_pooltop_value() {
	local option=$1 prefix=
	[[ $_pooltop_word == --*=* ]] && prefix=${_pooltop_word%%=*}=
	case $option in
	-a | --arg-file | --joblog | --log | --jobs-file | --control | --results | --tmpdir | \
	--slf | --sshloginfile | --transferfile | --tf | --return | --trc | --basefile | --bf)
		_pooltop_files
		;;
	--shrink)
		_pooltop_add "${prefix}graceful" "${prefix}kill"
		;;
	--trim)
		_pooltop_add "${prefix}n" "${prefix}l" "${prefix}r" "${prefix}lr" "${prefix}rl"
		;;
	--header)
		_pooltop_add "${prefix}:"
		;;
	-S | --sshlogin)
		# This machine, and the hosts bash-completion knows (ssh_config,
		# known_hosts) when it is loaded.
		_pooltop_add "${prefix}:"
		if declare -F _known_hosts_real > /dev/null; then
			local -a saved=("${COMPREPLY[@]}") hosts
			COMPREPLY=()
			_known_hosts_real -- "${_pooltop_cur}"
			hosts=("${COMPREPLY[@]}")
			COMPREPLY=("${saved[@]}")
			_pooltop_add "${hosts[@]/#/$prefix}"
		fi
		;;
	--halt)
		_pooltop_add "${prefix}never" "${prefix}now,fail=" "${prefix}soon,fail=" \
			"${prefix}now,success=" "${prefix}soon,success=" "${prefix}now,done=" \
			"${prefix}soon,done="
		# A condition still needs its count: no space after "fail=".
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2> /dev/null
		;;
	--termseq | --term-seq)
		# GNU parallel's default sequence, as an example to edit.
		_pooltop_add "${prefix}TERM,200,TERM,100,TERM,50,KILL,25"
		;;
	-d | --delimiter)
		# Besides any one character: \n, \t and \0 (newline, tab, NUL),
		# their backslash doubled on the command line so pooltop gets one.
		_pooltop_add "${prefix}\\\\n" "${prefix}\\\\t" "${prefix}\\\\0"
		;;
	esac
	# Numbers, seconds, sizes and ranges have no list to offer.
	return 0
}

# _pooltop_command OFFSET: complete the command that starts at word OFFSET
# of COMP_WORDS (bash's own split), and its arguments.
_pooltop_command() {
	local offset=$1 index
	for ((index = offset; index < COMP_CWORD; index++)); do
		# After ::: come items, most often file names; after :::: files.
		if [[ ${COMP_WORDS[index]} == @(:::|:::+|::::|::::+) ]]; then
			_pooltop_files
			return
		fi
	done
	if declare -F _command_offset > /dev/null; then
		# bash-completion: the command's own completion, as after sudo.
		_command_offset "$offset"
	elif [[ $COMP_CWORD -eq $offset && $_pooltop_cur != */* ]]; then
		local -a found
		mapfile -t found < <(compgen -c -- "$_pooltop_cur")
		COMPREPLY+=("${found[@]}")
	else
		_pooltop_files
	fi
}

_pooltop() {
	COMPREPLY=()
	# Glue back what bash split at "=" and ":" (--shrink = kill), keeping
	# for each whole word the index of its first piece in COMP_WORDS.
	local -a words=() starts=()
	local rest=${COMP_LINE:0:COMP_POINT} index piece blanks first
	for ((index = 0; index <= COMP_CWORD; index++)); do
		piece=${COMP_WORDS[index]}
		blanks=${rest%%[![:blank:]]*}
		rest=${rest:${#blanks}}
		# The word under the cursor ends at the cursor.
		((index == COMP_CWORD)) && piece=$rest
		if [[ $rest != "$piece"* ]]; then
			# The line does not read as bash split it: take bash's words.
			words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
			starts=()
			for ((first = 0; first <= COMP_CWORD; first++)); do
				starts+=("$first")
			done
			break
		fi
		if [[ $index -gt 0 && -z $blanks ]]; then
			words[${#words[@]} - 1]+=$piece
		else
			words+=("$piece")
			starts+=("$index")
		fi
		rest=${rest:${#piece}}
	done
	local cword=$((${#words[@]} - 1))
	# The whole word, and the part of it bash replaces: its second argument
	# when bash calls us, else what follows the last "=" or ":".
	local _pooltop_word=${words[cword]}
	local _pooltop_cur=${_pooltop_word##*[=:]}
	[[ $# -ge 2 ]] && _pooltop_cur=$2

	# pooltop ctl SOCKET VERB [ARGUMENT]
	if [[ ${words[1]-} == ctl && $cword -ge 2 ]]; then
		case $cword in
		2) _pooltop_files ;;
		3) _pooltop_add "${_pooltop_ctl_verbs[@]}" ;;
		4)
			case ${words[3]} in
			autotune) _pooltop_add on off ;;
			quit) _pooltop_add kill ;;
			host) _pooltop_add add drain remove ;;
			esac
			;;
		esac
		return 0
	fi

	# Walk the options before the current word as getopt_long does with
	# "+": they end at "--" or at the first word that is not an option.
	local word command=
	for ((index = 1; index < cword; index++)); do
		word=${words[index]}
		if [[ $word == -- ]]; then
			command=$((index + 1))
			break
		elif [[ $word != -?* ]]; then
			command=$index
			break
		elif _pooltop_takes_value "$word"; then
			index=$((index + 1))    # its value is the next word
		fi
	done
	if [[ -n $command ]]; then
		_pooltop_command "${starts[command]}"
	elif [[ $index -gt $cword ]]; then
		_pooltop_value "${words[cword - 1]}"
	elif [[ $_pooltop_word == --*=* ]]; then
		_pooltop_value "${_pooltop_word%%=*}"
	elif [[ $_pooltop_word == -* ]]; then
		_pooltop_add "${_pooltop_long_options[@]}"
		[[ $_pooltop_word == --* ]] || _pooltop_add "${_pooltop_short_options[@]}"
		# "--shrink=" waits for its value.
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2> /dev/null
	else
		# The first word that is not an option: the command, or ctl.
		_pooltop_command "${starts[cword]}"
		[[ $cword -eq 1 ]] && _pooltop_add ctl
	fi
	return 0
}

complete -F _pooltop pooltop
