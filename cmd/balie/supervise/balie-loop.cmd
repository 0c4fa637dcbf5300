@echo off
rem balie-loop.cmd: runs the Digitale Balie kiosk and starts it again 2 seconds
rem after it ends, unless it ended cleanly. The scheduled task in balie-task.xml
rem starts it at the kiosk user's logon. It lives next to balie.exe.
rem
rem   exit code 0     staff pressed Ctrl+Alt+Q (or Alt+F4 closed the window):
rem                   stop, and the desktop shows.
rem   anything else   a crash: 2 is a Go panic, 1 a start-up error or Task
rem                   Manager's End task, a negative number a crash in C code
rem                   (-1073741819 is 0xC0000005, an access violation).
rem                   Start balie.exe again after 2 seconds.
rem   a crash loop    10 starts within 5 minutes and it ends once more: stop
rem                   with exit code 1, so that staff see the desktop. Log off
rem                   and on again to start the kiosk afresh.
rem
rem The exit code is compared as text, never with "if errorlevel 1", which is
rem true for 1 and up only and would take a negative code for a clean quit.
rem
rem Its log, with balie.exe's own lines (never personal data):
rem %LOCALAPPDATA%\balie\balie.log, and the one before it in balie.log.1.
setlocal EnableExtensions DisableDelayedExpansion
title Digitale Balie - keeps the kiosk running
set "BALIE=%~dp0balie.exe"
rem The kiosk's configuration, writable by the kiosk user (staff mode saves
rem it). Without the file the kiosk runs in practice mode.
set "CONFIG=%ProgramData%\Digitale Balie\kiosk.toml"
set "LOGDIR=%LOCALAPPDATA%\balie"
set "LOG=%LOGDIR%\balie.log"
rem The same limits as balie.service on Linux.
set "DELAY=2"
set "BURST=10"
set "INTERVAL=300"

if not exist "%LOGDIR%" mkdir "%LOGDIR%"
set "STARTS=0"
set "FIRST=0"

:start
rem Keep the log small: at about 1 MB it becomes balie.log.1.
if exist "%LOG%" for %%F in ("%LOG%") do if %%~zF GTR 1048576 move /y "%LOG%" "%LOG%.1" >nul
rem Count the starts within INTERVAL seconds of the first one counted.
call :now
if %STARTS% EQU 0 set "FIRST=%NOW%"
set /a "SINCE=NOW-FIRST"
if %SINCE% LSS 0 set /a "SINCE+=86400"
if %SINCE% GEQ %INTERVAL% (
    set "FIRST=%NOW%"
    set "STARTS=0"
)
if %STARTS% GEQ %BURST% goto crashloop
set /a "STARTS+=1"

>>"%LOG%" echo %DATE% %TIME% balie-loop: starting balie.exe
if exist "%CONFIG%" (
    "%BALIE%" -config "%CONFIG%" %* >>"%LOG%" 2>&1
) else (
    "%BALIE%" %* >>"%LOG%" 2>&1
)
set "CODE=%ERRORLEVEL%"
if "%CODE%"=="0" goto quit
>>"%LOG%" echo %DATE% %TIME% balie-loop: balie.exe ended with exit code %CODE%, starting it again in %DELAY% seconds
rem ping waits a second between its echoes; timeout would need a keyboard.
set /a "PINGS=DELAY+1"
ping -n %PINGS% 127.0.0.1 >nul
goto start

:quit
>>"%LOG%" echo %DATE% %TIME% balie-loop: balie.exe quit cleanly (exit code 0), not starting it again
exit /b 0

:crashloop
>>"%LOG%" echo %DATE% %TIME% balie-loop: crash loop, %BURST% starts within %INTERVAL% seconds; not starting balie.exe again until the next logon
exit /b 1

:now
rem NOW is the time of day in seconds, from %TIME% in any language:
rem " 9:05:07.12" or "09:05:07,12". A space becomes 0, and 1xx-100 keeps
rem set /a from reading 08 and 09 as octal numbers.
set "T=%TIME: =0%"
for /f "tokens=1-3 delims=:.," %%a in ("%T%") do set /a "NOW=(1%%a-100)*3600+(1%%b-100)*60+(1%%c-100)"
exit /b 0
